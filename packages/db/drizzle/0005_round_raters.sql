CREATE TABLE "round_raters" (
	"document_id" uuid NOT NULL,
	"round_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"rater_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "round_raters_pkey" PRIMARY KEY("document_id","round_id","user_id"),
	CONSTRAINT "round_raters_key_unique" UNIQUE("document_id","round_id","rater_key"),
	CONSTRAINT "round_raters_round_id" CHECK ("round_raters"."round_id" ~ '^r[0-9]{1,6}$')
);
--> statement-breakpoint
ALTER TABLE "round_raters" ADD CONSTRAINT "round_raters_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "round_raters" ADD CONSTRAINT "round_raters_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;